-- sql_resource_test.sql: a statement for SqlResourceTest, with one placeholder.
SELECT /*outbox:test.event*/ FROM t
