// Filled in by the media tests work.
