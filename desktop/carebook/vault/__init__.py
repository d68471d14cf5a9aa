"""SQLCipher storage: key header, schema and migrations, repositories, audit."""
