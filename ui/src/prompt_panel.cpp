// prompt_panel: to be written.
