// queue_panel: to be written.
