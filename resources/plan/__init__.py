"""The parenting plan (issue 13): two parents agree arrangements without sharing contact details."""
