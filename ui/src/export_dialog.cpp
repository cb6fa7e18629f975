// export_dialog: to be written.
