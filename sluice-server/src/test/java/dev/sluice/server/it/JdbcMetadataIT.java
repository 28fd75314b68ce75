package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pgJDBC's DatabaseMetaData and ResultSetMetaData, which run pgJDBC's own catalog queries, against a real Sluice server. */
class JdbcMetadataIT {
    private static TestServer server;
    private static Connection connection;

    @BeforeAll
    static void start() throws SQLException {
        server = new TestServer("127.0.0.1:1");
        connection = server.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE accounts (id bigint PRIMARY KEY, owner varchar(40) NOT NULL, balance numeric(12,2) DEFAULT 0, "
                    + "opened timestamp(3), seen timestamptz, tags text[], hits uint8)");
            statement.execute("CREATE TABLE pairs (a int, b text, PRIMARY KEY (a, b))");
            statement.execute("COMMENT ON TABLE accounts IS 'customer accounts'");
            statement.execute("COMMENT ON COLUMN accounts.owner IS 'who holds it'");
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        server.close();
    }

    /** Rows of a metadata result set as maps from column label to string value. */
    private static List<Map<String, String>> rows(ResultSet result, String... labels) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (result) {
            while (result.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (String label : labels) {
                    row.put(label, result.getString(label));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void getTablesListsUserTablesAsTables() throws SQLException {
        List<Map<String, String>> tables = rows(connection.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"}),
                "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE");
        assertThat(tables).containsExactly(
                Map.of("TABLE_CAT", "materialize", "TABLE_SCHEM", "public", "TABLE_NAME", "accounts", "TABLE_TYPE", "TABLE"),
                Map.of("TABLE_CAT", "materialize", "TABLE_SCHEM", "public", "TABLE_NAME", "pairs", "TABLE_TYPE", "TABLE"));
        assertThat(rows(connection.getMetaData().getTables(null, null, "acc%", null), "TABLE_NAME", "TABLE_TYPE")).containsExactly(
                Map.of("TABLE_NAME", "accounts_pkey", "TABLE_TYPE", "INDEX"), Map.of("TABLE_NAME", "accounts", "TABLE_TYPE", "TABLE"));
    }

    @Test
    void getColumnsDescribesTypesSizesNullabilityAndDefaults() throws SQLException {
        List<Map<String, String>> columns = rows(connection.getMetaData().getColumns(null, "public", "accounts", "%"), "COLUMN_NAME", "DATA_TYPE",
                "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS", "NULLABLE", "COLUMN_DEF", "ORDINAL_POSITION", "IS_NULLABLE");
        assertThat(columns).extracting(row -> row.get("COLUMN_NAME")).containsExactly("id", "owner", "balance", "opened", "seen", "tags", "hits");
        assertThat(columns.get(0)).containsEntry("DATA_TYPE", Integer.toString(Types.BIGINT)).containsEntry("TYPE_NAME", "int8")
                .containsEntry("NULLABLE", Integer.toString(DatabaseMetaData.columnNoNulls)).containsEntry("IS_NULLABLE", "NO");
        assertThat(columns.get(1)).containsEntry("DATA_TYPE", Integer.toString(Types.VARCHAR)).containsEntry("COLUMN_SIZE", "40");
        assertThat(columns.get(2)).containsEntry("DATA_TYPE", Integer.toString(Types.NUMERIC)).containsEntry("COLUMN_SIZE", "12")
                .containsEntry("DECIMAL_DIGITS", "2").containsEntry("COLUMN_DEF", "0").containsEntry("IS_NULLABLE", "YES");
        assertThat(columns.get(3)).containsEntry("DATA_TYPE", Integer.toString(Types.TIMESTAMP)).containsEntry("TYPE_NAME", "timestamp")
                .containsEntry("DECIMAL_DIGITS", "3");
        assertThat(columns.get(4)).containsEntry("TYPE_NAME", "timestamptz");
        assertThat(columns.get(5)).containsEntry("DATA_TYPE", Integer.toString(Types.ARRAY)).containsEntry("TYPE_NAME", "_text");
        assertThat(columns.get(6)).containsEntry("TYPE_NAME", "uint8").containsEntry("ORDINAL_POSITION", "7");
    }

    @Test
    void commentsAreTheRemarksOfTablesAndColumns() throws SQLException {
        assertThat(rows(connection.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"}), "TABLE_NAME", "REMARKS"))
                .extracting(row -> row.get("TABLE_NAME") + ": " + row.get("REMARKS")).containsExactly("accounts: customer accounts", "pairs: null");
        List<Map<String, String>> columns = rows(connection.getMetaData().getColumns(null, "public", "accounts", "%"), "COLUMN_NAME", "REMARKS");
        assertThat(columns.get(1)).containsEntry("COLUMN_NAME", "owner").containsEntry("REMARKS", "who holds it");
        assertThat(columns.get(0)).containsEntry("REMARKS", null);
    }

    @Test
    void getPrimaryKeysNamesKeyColumnsInKeyOrder() throws SQLException {
        assertThat(rows(connection.getMetaData().getPrimaryKeys(null, "public", "accounts"), "COLUMN_NAME", "KEY_SEQ", "PK_NAME"))
                .containsExactly(Map.of("COLUMN_NAME", "id", "KEY_SEQ", "1", "PK_NAME", "accounts_pkey"));
        assertThat(rows(connection.getMetaData().getPrimaryKeys(null, "public", "pairs"), "COLUMN_NAME", "KEY_SEQ"))
                .containsExactly(Map.of("COLUMN_NAME", "a", "KEY_SEQ", "1"), Map.of("COLUMN_NAME", "b", "KEY_SEQ", "2"));
    }

    @Test
    void getIndexInfoShowsThePrimaryKeyIndex() throws SQLException {
        assertThat(rows(connection.getMetaData().getIndexInfo(null, "public", "pairs", false, true), "INDEX_NAME", "NON_UNIQUE",
                "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC"))
                .containsExactly(Map.of("INDEX_NAME", "pairs_pkey", "NON_UNIQUE", "f", "ORDINAL_POSITION", "1", "COLUMN_NAME", "a", "ASC_OR_DESC", "A"),
                        Map.of("INDEX_NAME", "pairs_pkey", "NON_UNIQUE", "f", "ORDINAL_POSITION", "2", "COLUMN_NAME", "b", "ASC_OR_DESC", "A"));
    }

    @Test
    void getSchemasCatalogsAndTypeInfoAnswer() throws SQLException {
        assertThat(rows(connection.getMetaData().getSchemas(), "TABLE_SCHEM")).extracting(row -> row.get("TABLE_SCHEM"))
                .contains("public", "pg_catalog", "information_schema", "mz_catalog");
        assertThat(rows(connection.getMetaData().getCatalogs(), "TABLE_CAT")).containsExactly(Map.of("TABLE_CAT", "materialize"));
        List<Map<String, String>> types = rows(connection.getMetaData().getTypeInfo(), "TYPE_NAME", "DATA_TYPE");
        assertThat(types).extracting(row -> row.get("TYPE_NAME")).contains("int4", "int8", "text", "numeric", "timestamptz", "jsonb", "uuid");
        assertThat(types).contains(Map.of("TYPE_NAME", "int4", "DATA_TYPE", Integer.toString(Types.INTEGER)));
    }

    @Test
    void resultSetMetaDataKnowsTypesNullabilityPrecisionAndTables() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, owner, balance, opened, id + 1 AS next, count(*) OVER () FROM accounts")) {
            ResultSetMetaData metadata = result.getMetaData();
            assertThat(metadata.getColumnType(1)).isEqualTo(Types.BIGINT);
            assertThat(metadata.isNullable(1)).isEqualTo(ResultSetMetaData.columnNoNulls);
            assertThat(metadata.getTableName(1)).isEqualTo("accounts");
            assertThat(metadata.getColumnType(2)).isEqualTo(Types.VARCHAR);
            assertThat(metadata.getPrecision(2)).isEqualTo(40);
            assertThat(metadata.isNullable(2)).isEqualTo(ResultSetMetaData.columnNoNulls);
            assertThat(metadata.getColumnType(3)).isEqualTo(Types.NUMERIC);
            assertThat(metadata.getPrecision(3)).isEqualTo(12);
            assertThat(metadata.getScale(3)).isEqualTo(2);
            assertThat(metadata.isNullable(3)).isEqualTo(ResultSetMetaData.columnNullable);
            assertThat(metadata.getColumnType(4)).isEqualTo(Types.TIMESTAMP);
            assertThat(metadata.getScale(4)).isEqualTo(3);
            assertThat(metadata.getColumnName(5)).isEqualTo("next");
            assertThat(metadata.getTableName(5)).isEmpty();
            assertThat(metadata.getColumnName(6)).isEqualTo("count");
        }
    }
}
