// job_queue: to be written.
