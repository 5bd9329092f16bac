-- Which portal instance has claimed a mail it is handing over, so an instance that restarts
-- after a crash takes its own claims back at once instead of waiting for the lease to end.
ALTER TABLE mail_outbox ADD COLUMN claimed_by TEXT;
