-- A file with a header and nothing else: ApiSqlFilesTest reads it to see the loader refuse it.

