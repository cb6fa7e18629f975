// take_commands: to be written.
