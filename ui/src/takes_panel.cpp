// takes_panel: to be written.
