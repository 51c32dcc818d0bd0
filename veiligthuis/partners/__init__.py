"""Partner organisations, their referral addresses, the public referral form and the queue."""
