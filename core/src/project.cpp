// project: to be written.
