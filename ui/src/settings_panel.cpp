// settings_panel: to be written.
