package dev.sluice.registry;

import static dev.sluice.registry.RegistryHttp.schemaBody;
import static dev.sluice.registry.SubjectsAndSchemasIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.registry.RegistryHttp.Reply;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seven compatibility levels, on registration (409 when refused) and on the
 * {@code /compatibility} endpoints, with Apache Avro's reader/writer rules deciding.
 */
class CompatibilityIT extends RegistryTestBase {
    private static final String ID = "{\"name\":\"id\",\"type\":\"long\"}";
    private static final String NAME = "{\"name\":\"name\",\"type\":\"string\"}";
    private static final String NAME_WITH_DEFAULT = "{\"name\":\"name\",\"type\":\"string\",\"default\":\"\"}";
    private static final String ONLY_ID = Schemas.record("User", ID);
    private static final String ID_AND_NAME = Schemas.record("User", ID, NAME);
    private static final String ID_AND_DEFAULTED_NAME = Schemas.record("User", ID, NAME_WITH_DEFAULT);
    private static final String ID_AS_STRING = Schemas.record("User", "{\"name\":\"id\",\"type\":\"string\"}");

    private static final Set<CompatibilityLevel> BACKWARD_LEVELS = EnumSet.of(CompatibilityLevel.BACKWARD,
            CompatibilityLevel.BACKWARD_TRANSITIVE, CompatibilityLevel.FULL, CompatibilityLevel.FULL_TRANSITIVE);
    private static final Set<CompatibilityLevel> FORWARD_LEVELS = EnumSet.of(CompatibilityLevel.FORWARD,
            CompatibilityLevel.FORWARD_TRANSITIVE, CompatibilityLevel.FULL, CompatibilityLevel.FULL_TRANSITIVE);

    private boolean registers(CompatibilityLevel level, String subject, String... schemas) {
        http.put("/config/" + subject, "{\"compatibility\":\"" + level + "\"}");
        for (int i = 0; i < schemas.length - 1; i++) {
            http.register(subject, schemas[i]);
        }
        Reply last = http.post("/subjects/" + subject + "/versions", schemaBody(schemas[schemas.length - 1]));
        if (last.status() == 409) {
            assertThat(last.errorCode()).isEqualTo(409);
            assertThat(last.message()).startsWith("Schema being registered is incompatible with an earlier schema for subject \"" + subject
                    + "\", details: [");
            assertThat(last.message()).endsWith("{compatibility: '" + level + "'}]");
            return false;
        }
        assertThat(last.status()).as(last.body()).isEqualTo(200);
        return true;
    }

    @ParameterizedTest
    @EnumSource(CompatibilityLevel.class)
    void addingAFieldWithADefaultIsCompatibleAtEveryLevel(CompatibilityLevel level) {
        assertThat(registers(level, "s", ONLY_ID, ID_AND_DEFAULTED_NAME)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CompatibilityLevel.class)
    void addingAFieldWithoutADefaultBreaksBackwardReaders(CompatibilityLevel level) {
        assertThat(registers(level, "s", ONLY_ID, ID_AND_NAME)).isEqualTo(!BACKWARD_LEVELS.contains(level));
    }

    @ParameterizedTest
    @EnumSource(CompatibilityLevel.class)
    void removingAFieldWithoutADefaultBreaksForwardReaders(CompatibilityLevel level) {
        assertThat(registers(level, "s", ID_AND_NAME, ONLY_ID)).isEqualTo(!FORWARD_LEVELS.contains(level));
    }

    @ParameterizedTest
    @EnumSource(CompatibilityLevel.class)
    void changingATypeIsAllowedOnlyWithoutChecks(CompatibilityLevel level) {
        assertThat(registers(level, "s", ONLY_ID, ID_AS_STRING)).isEqualTo(level == CompatibilityLevel.NONE);
    }

    /** v3 fits v2 in both directions, but cannot read data written with v1 (a field it needs lacks a default). */
    @ParameterizedTest
    @EnumSource(CompatibilityLevel.class)
    void transitiveBackwardLevelsCheckEveryEarlierVersion(CompatibilityLevel level) {
        boolean failsAgainstFirst = level == CompatibilityLevel.BACKWARD_TRANSITIVE || level == CompatibilityLevel.FULL_TRANSITIVE;

        assertThat(registers(level, "s", ONLY_ID, ID_AND_DEFAULTED_NAME, ID_AND_NAME)).isEqualTo(!failsAgainstFirst);
    }

    /** v3 fits v2 in both directions, but v1 cannot read data written with it (v1 needs a field v3 dropped). */
    @ParameterizedTest
    @EnumSource(CompatibilityLevel.class)
    void transitiveForwardLevelsCheckEveryEarlierVersion(CompatibilityLevel level) {
        boolean failsAgainstFirst = level == CompatibilityLevel.FORWARD_TRANSITIVE || level == CompatibilityLevel.FULL_TRANSITIVE;

        assertThat(registers(level, "s", ID_AND_NAME, ID_AND_DEFAULTED_NAME, ONLY_ID)).isEqualTo(!failsAgainstFirst);
    }

    @Test
    void theGlobalLevelAppliesToSubjectsWithoutTheirOwn() {
        http.put("/config", "{\"compatibility\":\"NONE\"}");
        http.register("s", ONLY_ID);

        assertThat(http.post("/subjects/s/versions", schemaBody(ID_AS_STRING)).status()).isEqualTo(200);
    }

    @Test
    void softDeletedVersionsAreNotCheckedAgainst() {
        http.register("s", ONLY_ID);
        http.delete("/subjects/s/versions/1");

        assertThat(http.post("/subjects/s/versions", schemaBody(ID_AS_STRING)).status()).isEqualTo(200);
    }

    @Test
    void theRefusalNamesTheProblemAndTheEarlierVersion() {
        http.register("users-value", ONLY_ID);

        Reply refused = http.post("/subjects/users-value/versions", schemaBody(ID_AND_NAME));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.message()).contains("errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'")
                .contains("The field 'name' at path '/fields/1' in the new schema has no default value and is missing in the old schema")
                .contains("{oldSchemaVersion: 1}")
                .contains("{oldSchema: '" + Schemas.canonical(ONLY_ID) + "'}");
        assertThat(http.get("/subjects/users-value/versions").json()).hasToString("[1]");
    }

    @Test
    void testingAgainstTheLatestVersion() {
        http.register("s", ONLY_ID);

        assertThat(http.post("/compatibility/subjects/s/versions/latest", schemaBody(ID_AND_DEFAULTED_NAME)).json())
                .hasToString("{\"is_compatible\":true}");
        assertThat(http.post("/compatibility/subjects/s/versions/latest", schemaBody(ID_AND_NAME)).json())
                .hasToString("{\"is_compatible\":false}");
    }

    @Test
    void testingAgainstOneVersionIgnoresTheOthers() {
        http.put("/config/s", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
        http.register("s", ONLY_ID);
        http.register("s", ID_AND_DEFAULTED_NAME);

        assertThat(http.post("/compatibility/subjects/s/versions/2", schemaBody(ID_AND_NAME)).json().get("is_compatible").asBoolean()).isTrue();
        assertThat(http.post("/compatibility/subjects/s/versions/1", schemaBody(ID_AND_NAME)).json().get("is_compatible").asBoolean()).isFalse();
        assertThat(http.post("/compatibility/subjects/s/versions", schemaBody(ID_AND_NAME)).json().get("is_compatible").asBoolean())
                .as("all versions, transitively").isFalse();
    }

    @Test
    void verboseAnswersCarryTheMessages() {
        http.register("s", ONLY_ID);

        JsonNode incompatible = http.post("/compatibility/subjects/s/versions/latest?verbose=true", schemaBody(ID_AND_NAME)).json();
        JsonNode compatible = http.post("/compatibility/subjects/s/versions?verbose=true", schemaBody(ONLY_ID)).json();
        JsonNode invalid = http.post("/compatibility/subjects/s/versions?verbose=true", schemaBody("{\"type\":\"nope\"}")).json();

        assertThat(incompatible.get("is_compatible").asBoolean()).isFalse();
        assertThat(incompatible.get("messages").get(0).asText()).startsWith("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
        assertThat(compatible).hasToString("{\"is_compatible\":true,\"messages\":[]}");
        assertThat(invalid.get("is_compatible").asBoolean()).isFalse();
        assertThat(invalid.get("messages").get(0).asText()).startsWith("Invalid schema {\"type\":\"nope\"}");
    }

    @Test
    void testingAgainstAMissingVersionOrWithAnInvalidSchemaIsAnError() {
        http.register("s", ONLY_ID);

        assertThat(http.post("/compatibility/subjects/nobody/versions/latest", schemaBody(ONLY_ID)).json())
                .as("nothing to be incompatible with").hasToString("{\"is_compatible\":true}");
        assertError(http.post("/compatibility/subjects/s/versions/9", schemaBody(ONLY_ID)), 404, 40402, "Version 9 not found.");
        assertError(http.post("/compatibility/subjects/s/versions/first", schemaBody(ONLY_ID)), 422, 42202,
                "The specified version 'first' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        assertThat(http.post("/compatibility/subjects/s/versions", schemaBody("{\"type\":\"nope\"}")).errorCode()).isEqualTo(42201);
    }
}
