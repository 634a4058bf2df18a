DROP TABLE bulk_export_files;
DROP TABLE bulk_exports;
