// preview_panel: to be written.
