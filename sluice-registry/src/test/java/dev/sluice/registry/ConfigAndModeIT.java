package dev.sluice.registry;

import static dev.sluice.registry.RegistryHttp.schemaBody;
import static dev.sluice.registry.SubjectsAndSchemasIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.registry.RegistryHttp.Reply;
import org.junit.jupiter.api.Test;

/** {@code /config} and {@code /mode}, globally and per subject, and what the modes refuse. */
class ConfigAndModeIT extends RegistryTestBase {
    private static final String READ_ONLY = "{\"mode\":\"READONLY\"}";
    private static final String IMPORT = "{\"mode\":\"IMPORT\"}";

    @Test
    void theGlobalLevelIsBackwardUntilSet() {
        assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");

        assertThat(http.put("/config", "{\"compatibility\":\"FULL\"}").json()).hasToString("{\"compatibility\":\"FULL\"}");
        assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"FULL\"}");

        assertThat(http.delete("/config").json()).hasToString("{\"compatibilityLevel\":\"FULL\"}");
        assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");
    }

    @Test
    void aSubjectWithoutItsOwnLevelHasNoneUnlessAskedToDefaultToGlobal() {
        http.put("/config", "{\"compatibility\":\"FORWARD\"}");

        assertError(http.get("/config/orders-value"), 404, 40408, "Subject 'orders-value' does not have subject-level compatibility configured");
        assertThat(http.get("/config/orders-value?defaultToGlobal=true").json()).hasToString("{\"compatibilityLevel\":\"FORWARD\"}");
    }

    @Test
    void aSubjectLevelCanBeSetBeforeTheSubjectExistsAndDeleted() {
        assertThat(http.put("/config/orders-value", "{\"compatibility\":\"none\"}").json()).hasToString("{\"compatibility\":\"NONE\"}");
        assertThat(http.get("/config/orders-value").json()).hasToString("{\"compatibilityLevel\":\"NONE\"}");
        assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");

        assertThat(http.delete("/config/orders-value").json()).hasToString("{\"compatibilityLevel\":\"NONE\"}");
        assertError(http.get("/config/orders-value"), 404, 40408, "Subject 'orders-value' does not have subject-level compatibility configured");
        assertError(http.delete("/config/orders-value"), 404, 40401, "Subject 'orders-value' not found.");
    }

    @Test
    void unknownLevelsAreRefused() {
        String message = "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, "
                + "and full_transitive";
        assertError(http.put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203, message);
        assertError(http.put("/config/s", "{}"), 422, 42203, message);
        assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");
    }

    @Test
    void permanentlyDeletingASubjectForgetsItsLevelAndMode() {
        http.register("orders-value", Schemas.ORDER);
        http.put("/config/orders-value", "{\"compatibility\":\"FULL\"}");
        http.put("/mode/orders-value", "{\"mode\":\"READWRITE\"}");

        http.delete("/subjects/orders-value");
        assertThat(http.get("/config/orders-value").status()).as("a soft deletion keeps it").isEqualTo(200);
        http.delete("/subjects/orders-value?permanent=true");

        assertThat(http.get("/config/orders-value").errorCode()).isEqualTo(40408);
        assertThat(http.get("/mode/orders-value").errorCode()).isEqualTo(40409);
    }

    @Test
    void theGlobalModeIsReadWriteAndSubjectsHaveNoneOfTheirOwn() {
        assertThat(http.get("/mode").json()).hasToString("{\"mode\":\"READWRITE\"}");
        assertError(http.get("/mode/orders-value"), 404, 40409, "Subject 'orders-value' does not have subject-level mode configured");
        assertThat(http.get("/mode/orders-value?defaultToGlobal=true").json()).hasToString("{\"mode\":\"READWRITE\"}");

        assertThat(http.put("/mode/orders-value", "{\"mode\":\"readonly\"}").json()).hasToString("{\"mode\":\"READONLY\"}");
        assertThat(http.get("/mode/orders-value").json()).hasToString("{\"mode\":\"READONLY\"}");
        assertThat(http.delete("/mode/orders-value").json()).hasToString("{\"mode\":\"READONLY\"}");
        assertError(http.delete("/mode/orders-value"), 404, 40401, "Subject 'orders-value' not found.");

        http.put("/mode", IMPORT);
        assertThat(http.delete("/mode").json()).hasToString("{\"mode\":\"IMPORT\"}");
        assertThat(http.get("/mode").json()).hasToString("{\"mode\":\"READWRITE\"}");
    }

    @Test
    void unknownModesAreRefused() {
        assertError(http.put("/mode", "{\"mode\":\"READSOMETIMES\"}"), 422, 42204, "Invalid mode. Valid values are READWRITE, READONLY, and IMPORT.");
        assertError(http.put("/mode/s", "{}"), 422, 42204, "Invalid mode. Valid values are READWRITE, READONLY, and IMPORT.");
    }

    @Test
    void readOnlyRefusesRegistrationDeletionAndConfigurationButServesReads() {
        int id = http.register("orders-value", Schemas.ORDER);
        http.put("/mode", READ_ONLY);

        assertError(http.post("/subjects/orders-value/versions", schemaBody(Schemas.USER)), 422, 42205, "Subject orders-value is in read-only mode");
        assertError(http.delete("/subjects/orders-value"), 422, 42205, "Subject orders-value is in read-only mode");
        assertError(http.delete("/subjects/orders-value/versions/1"), 422, 42205, "Subject orders-value is in read-only mode");
        assertError(http.put("/config/orders-value", "{\"compatibility\":\"NONE\"}"), 422, 42205, "Subject orders-value is in read-only mode");
        assertError(http.put("/config", "{\"compatibility\":\"NONE\"}"), 422, 42205, "The registry is in read-only mode");
        assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
        assertThat(http.post("/subjects/orders-value", schemaBody(Schemas.ORDER)).status()).isEqualTo(200);

        http.put("/mode", "{\"mode\":\"READWRITE\"}");
        assertThat(http.register("orders-value", Schemas.record("Order", "{\"name\":\"number\",\"type\":\"int\"}"))).isEqualTo(id + 1);
    }

    @Test
    void aSubjectsOwnModeOverridesTheGlobalOne() {
        http.put("/mode", READ_ONLY);
        http.put("/mode/orders-value", "{\"mode\":\"READWRITE\"}");

        assertThat(http.register("orders-value", Schemas.ORDER)).isEqualTo(1);
        assertThat(http.post("/subjects/users-value/versions", schemaBody(Schemas.USER)).errorCode()).isEqualTo(42205);
    }

    @Test
    void importModeNeedsAnEmptyRegistryUnlessForced() {
        http.register("orders-value", Schemas.ORDER);

        assertError(http.put("/mode", IMPORT), 422, 42205, "Cannot import since found existing subjects");
        assertThat(http.put("/mode/users-value", IMPORT).json()).as("a subject without versions").hasToString("{\"mode\":\"IMPORT\"}");
        assertThat(http.put("/mode?force=true", IMPORT).json()).hasToString("{\"mode\":\"IMPORT\"}");
    }

    @Test
    void importModeKeepsTheIdsAndVersionsGivenAndSkipsCompatibility() {
        http.put("/mode", IMPORT);
        String imported = "{\"schema\":" + RegistryHttp.JSON.getNodeFactory().textNode(Schemas.USER) + ",\"id\":100,\"version\":5}";
        String incompatible = "{\"schema\":\"\\\"int\\\"\",\"id\":7}";

        assertThat(http.post("/subjects/users-value/versions", imported).json()).hasToString("{\"id\":100}");
        assertThat(http.post("/subjects/users-value/versions", incompatible).json()).hasToString("{\"id\":7}");
        assertError(http.post("/subjects/users-value/versions", schemaBody(Schemas.ORDER)), 422, 42205, "Subject users-value is not in read-write mode");

        assertThat(http.get("/subjects/users-value/versions").json()).hasToString("[5,6]");
        assertThat(http.get("/schemas/ids/100/schema").body()).isEqualTo(Schemas.canonical(Schemas.USER));

        http.put("/mode", "{\"mode\":\"READWRITE\"}");
        assertError(http.post("/subjects/users-value/versions", "{\"schema\":\"\\\"long\\\"\",\"id\":8}"), 422, 42205,
                "Subject users-value is not in import mode");
        assertThat(http.register("orders-value", Schemas.ORDER)).as("new ids follow the largest imported one").isEqualTo(101);
    }

    @Test
    void importModeRefusesToReuseAnIdOrAVersion() {
        http.put("/mode", IMPORT);
        http.post("/subjects/users-value/versions", "{\"schema\":\"\\\"string\\\"\",\"id\":3,\"version\":1}");

        assertError(http.post("/subjects/other/versions", "{\"schema\":\"\\\"string\\\"\",\"id\":4}"), 422, 42207,
                "Schema already registered with id 3 instead of input id 4");
        assertError(http.post("/subjects/other/versions", "{\"schema\":\"\\\"long\\\"\",\"id\":3}"), 422, 42205,
                "Overwrite new schema with id 3 is not permitted.");
        assertError(http.post("/subjects/users-value/versions", "{\"schema\":\"\\\"long\\\"\",\"id\":9,\"version\":1}"), 422, 42205,
                "Overwrite of version 1 of subject users-value is not permitted.");
        Reply sameSchemaElsewhere = http.post("/subjects/other/versions", "{\"schema\":\"\\\"string\\\"\",\"id\":3}");
        assertThat(sameSchemaElsewhere.json()).hasToString("{\"id\":3}");
    }
}
