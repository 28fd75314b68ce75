package dev.sluice.server.ddl;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;
import dev.sluice.server.catalog.Catalog;
import dev.sluice.sql.ast.QualifiedName;
import java.util.List;

/** Checks of names given to new objects: only {@code materialize.public} holds user objects. */
final class Names {
    private Names() {
    }

    static void checkSchema(QualifiedName name) {
        List<String> parts = name.parts();
        if (parts.size() > 3) {
            throw SluiceException.of(ErrorCode.SYNTAX_ERROR, "qualified name %s has too many parts", name);
        }
        if (parts.size() == 3 && !parts.get(0).equals(Catalog.DATABASE)) {
            throw SluiceException.of(ErrorCode.INVALID_CATALOG_NAME, "unknown database '%s'", parts.get(0))
                    .withHint("Sluice has one database, materialize.");
        }
        if (parts.size() >= 2 && !parts.get(parts.size() - 2).equals(Catalog.SCHEMA)) {
            throw SluiceException.of(ErrorCode.INVALID_SCHEMA_NAME, "unknown schema '%s'", parts.get(parts.size() - 2))
                    .withHint("User objects live in the schema public.");
        }
    }
}
