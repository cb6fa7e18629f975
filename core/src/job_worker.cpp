// job_worker: to be written.
