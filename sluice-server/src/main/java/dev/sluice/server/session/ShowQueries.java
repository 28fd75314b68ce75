package dev.sluice.server.session;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.server.catalog.ObjectType;
import dev.sluice.server.catalog.TableItem;
import dev.sluice.sql.ast.Statement;
import java.util.Optional;

/** {@code SHOW …} statements, answered by queries over the system catalog. */
final class ShowQueries {
    private ShowQueries() {
    }

    /** The object's own comment (mz_internal.mz_comments), empty without one. */
    private static final String COMMENT = "CAST(COALESCE(c.comment, '') AS VARCHAR) AS comment";
    private static final String COMMENT_JOIN = " LEFT JOIN mz_internal.mz_comments c ON c.id = o.id AND c.object_sub_id IS NULL";

    static Optional<String> sql(Statement statement, Catalog catalog) {
        if (!(statement instanceof Statement.Show show)) {
            return Optional.empty();
        }
        String filter = show.like().map(pattern -> " WHERE name LIKE '" + pattern.replace("'", "''") + "'")
                .or(() -> show.where().map(where -> " WHERE " + where.text())).orElse("");
        String sql = switch (show.kind()) {
            case TABLES -> "SELECT name, comment FROM (SELECT o.name, " + COMMENT + " FROM mz_catalog.mz_tables o" + COMMENT_JOIN + ") AS t" + filter
                    + " ORDER BY name";
            case SECRETS -> "SELECT name, comment FROM (SELECT o.name, " + COMMENT + " FROM mz_catalog.mz_secrets o" + COMMENT_JOIN + ") AS t" + filter
                    + " ORDER BY name";
            case CONNECTIONS -> "SELECT name, type, comment FROM (SELECT o.name, o.type, " + COMMENT + " FROM mz_catalog.mz_connections o" + COMMENT_JOIN
                    + ") AS t" + filter + " ORDER BY name";
            case SINKS -> "SELECT name, type, cluster, comment FROM (SELECT o.name, o.type, CAST('quickstart' AS VARCHAR) AS cluster, " + COMMENT
                    + " FROM mz_catalog.mz_sinks o" + COMMENT_JOIN + ") AS t" + filter + " ORDER BY name";
            case SCHEMAS -> "SELECT name, CAST('' AS VARCHAR) AS comment FROM (SELECT name FROM mz_catalog.mz_schemas) AS t" + filter + " ORDER BY name";
            case DATABASES -> "SELECT name, CAST('' AS VARCHAR) AS comment FROM (SELECT name FROM mz_catalog.mz_databases) AS t" + filter;
            case CLUSTERS -> "SELECT name, CAST('' AS VARCHAR) AS replicas, CAST('' AS VARCHAR) AS comment FROM (SELECT name FROM mz_catalog.mz_clusters) AS t"
                    + filter;
            case COLUMNS -> {
                TableItem table = catalog.resolve(show.from().orElseThrow(() -> new SluiceException(ErrorCode.SYNTAX_ERROR,
                        "SHOW COLUMNS needs FROM <table>")).parts(), TableItem.class, ObjectType.TABLE);
                yield "SELECT name, nullable, type, CAST('' AS VARCHAR) AS comment FROM (SELECT name, nullable, type, position FROM mz_catalog.mz_columns "
                        + "WHERE id = '" + table.id() + "') AS t" + filter + " ORDER BY position";
            }
            default -> throw SluiceException.of(ErrorCode.FEATURE_NOT_SUPPORTED, "SHOW %s is not supported yet",
                    show.kind().name().replace('_', ' '));
        };
        return Optional.of(sql);
    }
}
