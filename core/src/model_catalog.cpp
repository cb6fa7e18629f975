// model_catalog: to be written.
