"""The anonymous get-help check: pure rules, session-only steps, forms, views.

Nothing here reads or writes a referral record; programme referrals live beside it in the
`referrals` app's own modules (docs/decisions/0004-referrals-layout.md).
"""
