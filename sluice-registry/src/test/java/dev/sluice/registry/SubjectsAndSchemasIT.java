package dev.sluice.registry;

import static dev.sluice.registry.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.registry.RegistryHttp.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Registration, versions, lookup, schemas by id and the HTTP surface, as Confluent's registry answers them. */
class SubjectsAndSchemasIT extends RegistryTestBase {
    @Test
    void idsAreGlobalAndStartAtOne() {
        assertThat(http.register("users-value", Schemas.USER)).isEqualTo(1);
        assertThat(http.register("orders-value", Schemas.ORDER)).isEqualTo(2);
        assertThat(http.register("users-value", Schemas.USER_WITH_OPTIONAL_EMAIL)).isEqualTo(3);
    }

    @Test
    void registeringTheSameSchemaAgainReturnsTheExistingIdWithoutANewVersion() {
        int id = http.register("users-value", Schemas.USER);

        assertThat(http.register("users-value", Schemas.USER)).isEqualTo(id);
        assertThat(http.get("/subjects/users-value/versions").json()).hasToString("[1]");
    }

    @Test
    void theSameSchemaUnderAnotherSubjectReusesItsIdWithVersionsOfItsOwn() {
        http.register("other-value", Schemas.ORDER);
        int id = http.register("users-value", Schemas.USER);

        assertThat(http.register("users-key", Schemas.USER)).isEqualTo(id);
        assertThat(http.get("/subjects/users-key/versions").json()).hasToString("[1]");
        assertThat(http.get("/schemas/ids/" + id + "/subjects").json()).hasToString("[\"users-key\",\"users-value\"]");
        assertThat(http.get("/schemas/ids/" + id + "/versions").json())
                .hasToString("[{\"subject\":\"users-key\",\"version\":1},{\"subject\":\"users-value\",\"version\":1}]");
    }

    @Test
    void schemasAreStoredAsAvroRendersThemSoLayoutDoesNotMatter() {
        String spaced = "{ \"type\" : \"record\",\n \"name\" : \"User\",\n \"fields\" : [ { \"name\" : \"id\", \"type\" : \"long\" } ] }";
        int id = http.register("users-value", spaced);

        assertThat(http.register("users-value", Schemas.USER)).isEqualTo(id);
        assertThat(http.get("/schemas/ids/" + id).json().get("schema").asText()).isEqualTo(Schemas.canonical(spaced));
    }

    @Test
    void versionsCountFromOnePerSubjectAndLatestIsTheNewest() {
        int first = http.register("users-value", Schemas.USER);
        int second = http.register("users-value", Schemas.USER_WITH_OPTIONAL_EMAIL);

        assertThat(http.get("/subjects/users-value/versions").json()).hasToString("[1,2]");
        JsonNode latest = http.get("/subjects/users-value/versions/latest").json();
        assertThat(latest.get("subject").asText()).isEqualTo("users-value");
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(second);
        assertThat(latest.get("schema").asText()).isEqualTo(Schemas.canonical(Schemas.USER_WITH_OPTIONAL_EMAIL));
        assertThat(latest.has("schemaType")).as("Avro omits schemaType").isFalse();
        assertThat(http.get("/subjects/users-value/versions/1").json().get("id").asInt()).isEqualTo(first);
        assertThat(http.get("/subjects/users-value/versions/-1").json().get("version").asInt()).isEqualTo(2);
    }

    @Test
    void schemaOnlyEndpointsReturnTheBareSchema() {
        int id = http.register("users-value", Schemas.USER);

        assertThat(http.get("/subjects/users-value/versions/1/schema").body()).isEqualTo(Schemas.canonical(Schemas.USER));
        assertThat(http.get("/subjects/users-value/versions/latest/schema").body()).isEqualTo(Schemas.canonical(Schemas.USER));
        assertThat(http.get("/schemas/ids/" + id + "/schema").body()).isEqualTo(Schemas.canonical(Schemas.USER));
    }

    @Test
    void nothingReferencesAVersionSinceReferencesAreRefused() {
        http.register("users-value", Schemas.USER);

        assertThat(http.get("/subjects/users-value/versions/1/referencedby").json()).isEmpty();
        assertError(http.get("/subjects/users-value/versions/2/referencedby"), 404, 40402, "Version 2 not found.");
    }

    @Test
    void schemaByIdOmitsTheTypeForAvro() {
        int id = http.register("users-value", Schemas.USER);

        Reply reply = http.get("/schemas/ids/" + id);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).hasToString("{\"schema\":" + RegistryHttp.JSON.createObjectNode().textNode(Schemas.canonical(Schemas.USER)) + "}");
    }

    @Test
    void lookupFindsTheVersionHoldingTheSchema() {
        http.register("users-value", Schemas.USER);
        int id = http.register("users-value", Schemas.USER_WITH_OPTIONAL_EMAIL);

        JsonNode found = http.post("/subjects/users-value", schemaBody(Schemas.USER_WITH_OPTIONAL_EMAIL)).json();

        assertThat(found.get("subject").asText()).isEqualTo("users-value");
        assertThat(found.get("version").asInt()).isEqualTo(2);
        assertThat(found.get("id").asInt()).isEqualTo(id);
        assertThat(found.get("schema").asText()).isEqualTo(Schemas.canonical(Schemas.USER_WITH_OPTIONAL_EMAIL));
    }

    @Test
    void lookupOfAnUnknownSchemaOrSubjectIsNotFound() {
        http.register("users-value", Schemas.USER);
        http.register("orders-value", Schemas.ORDER);

        assertError(http.post("/subjects/users-value", schemaBody(Schemas.ORDER)), 404, 40403, "Schema not found");
        assertError(http.post("/subjects/nobody", schemaBody(Schemas.USER)), 404, 40401, "Subject 'nobody' not found.");
    }

    @Test
    void subjectsAreListedSortedAndSoftDeletedOnesOnlyOnRequest() {
        http.register("b-value", Schemas.USER);
        http.register("a-value", Schemas.USER);
        http.register("c-value", Schemas.ORDER);
        http.delete("/subjects/c-value");

        assertThat(http.get("/subjects").json()).hasToString("[\"a-value\",\"b-value\"]");
        assertThat(http.get("/subjects?deleted=true").json()).hasToString("[\"a-value\",\"b-value\",\"c-value\"]");
        assertThat(http.get("/subjects?deletedOnly=true").json()).hasToString("[\"c-value\"]");
        assertThat(http.get("/subjects?subjectPrefix=b").json()).hasToString("[\"b-value\"]");
    }

    @Test
    void unknownSubjectsAndVersionsAreNotFound() {
        http.register("users-value", Schemas.USER);

        assertError(http.get("/subjects/nobody/versions"), 404, 40401, "Subject 'nobody' not found.");
        assertError(http.get("/subjects/nobody/versions/1"), 404, 40401, "Subject 'nobody' not found.");
        assertError(http.get("/subjects/nobody/versions/latest"), 404, 40401, "Subject 'nobody' not found.");
        assertError(http.get("/subjects/users-value/versions/7"), 404, 40402, "Version 7 not found.");
        assertError(http.delete("/subjects/nobody"), 404, 40401, "Subject 'nobody' not found.");
        assertError(http.delete("/subjects/users-value/versions/7"), 404, 40402, "Version 7 not found.");
    }

    @Test
    void versionsMustBePositiveNumbersOrLatest() {
        http.register("users-value", Schemas.USER);

        for (String version : List.of("abc", "0", "-2", "1.5")) {
            assertError(http.get("/subjects/users-value/versions/" + version), 422, 42202, "The specified version '" + version
                    + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
        assertError(http.delete("/subjects/users-value/versions/zero"), 422, 42202, "The specified version 'zero' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    @Test
    void unknownSchemaIdsAreNotFound() {
        http.register("users-value", Schemas.USER);

        assertError(http.get("/schemas/ids/99"), 404, 40403, "Schema 99 not found");
        assertError(http.get("/schemas/ids/99/versions"), 404, 40403, "Schema 99 not found");
        assertError(http.get("/schemas/ids/99/subjects"), 404, 40403, "Schema 99 not found");
    }

    @Test
    void invalidSchemasAreRefusedWith42201() {
        Reply garbage = http.post("/subjects/s/versions", schemaBody("{\"type\":\"record\",\"name\":\"X\"}"));
        assertThat(garbage.status()).isEqualTo(422);
        assertThat(garbage.errorCode()).isEqualTo(42201);
        assertThat(garbage.message()).startsWith("Invalid schema {\"type\":\"record\",\"name\":\"X\"} with refs [] of type AVRO, details: ");

        Reply badDefault = http.post("/subjects/s/versions", schemaBody(Schemas.record("X", "{\"name\":\"n\",\"type\":\"int\",\"default\":\"x\"}")));
        assertThat(badDefault.errorCode()).isEqualTo(42201);

        assertError(http.post("/subjects/s/versions", "{}"), 422, 42201, "Empty schema");
        assertError(http.post("/subjects/s/versions", "{\"schema\":\"{}\",\"schemaType\":\"PROTOBUF\"}"), 422, 42201,
                "Invalid schema type PROTOBUF; this registry supports only AVRO");
        assertError(http.post("/subjects/s/versions",
                "{\"schema\":\"\\\"string\\\"\",\"references\":[{\"name\":\"a\",\"subject\":\"b\",\"version\":1}]}"), 422, 42201,
                "Schema references are not supported by this registry");
        assertThat(http.get("/subjects").json()).isEmpty();
    }

    @Test
    void explicitAvroTypeAndEmptyReferencesAreAccepted() {
        Reply reply = http.post("/subjects/s/versions", "{\"schema\":\"\\\"string\\\"\",\"schemaType\":\"AVRO\",\"references\":[]}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).hasToString("{\"id\":1}");
        assertThat(http.get("/subjects/s/versions/1/schema").body()).isEqualTo("\"string\"");
    }

    @Test
    void softDeletingASubjectHidesItsVersionsAndReturnsThem() {
        http.register("users-value", Schemas.USER);
        http.register("users-value", Schemas.USER_WITH_OPTIONAL_EMAIL);

        assertThat(http.delete("/subjects/users-value").json()).hasToString("[1,2]");

        assertError(http.get("/subjects/users-value/versions"), 404, 40401, "Subject 'users-value' not found.");
        assertThat(http.get("/subjects/users-value/versions?deleted=true").json()).hasToString("[1,2]");
        assertThat(http.get("/subjects/users-value/versions/1?deleted=true").json().get("version").asInt()).isEqualTo(1);
        assertError(http.delete("/subjects/users-value"), 404, 40404,
                "Subject 'users-value' was soft deleted.Set permanent=true to delete permanently");
    }

    @Test
    void permanentDeletionNeedsASoftDeletionFirst() {
        http.register("users-value", Schemas.USER);

        assertError(http.delete("/subjects/users-value?permanent=true"), 404, 40405,
                "Subject 'users-value' was not deleted first before being permanently deleted");

        http.delete("/subjects/users-value");
        assertThat(http.delete("/subjects/users-value?permanent=true").json()).hasToString("[1]");
        assertThat(http.get("/subjects?deleted=true").json()).isEmpty();
        assertError(http.delete("/subjects/users-value?permanent=true"), 404, 40401, "Subject 'users-value' not found.");
    }

    @Test
    void versionsContinueAfterASoftDeletionAndRestartAfterAPermanentOne() {
        int id = http.register("users-value", Schemas.USER);
        http.register("users-value", Schemas.USER_WITH_OPTIONAL_EMAIL);
        http.delete("/subjects/users-value");

        assertThat(http.register("users-value", Schemas.USER)).isEqualTo(id);
        assertThat(http.get("/subjects/users-value/versions").json()).hasToString("[3]");

        http.delete("/subjects/users-value");
        http.delete("/subjects/users-value?permanent=true");
        assertThat(http.register("users-value", Schemas.USER)).as("a schema keeps its id").isEqualTo(id);
        assertThat(http.get("/subjects/users-value/versions").json()).hasToString("[1]");
    }

    @Test
    void deletingAVersionIsSoftThenPermanent() {
        http.register("users-value", Schemas.USER);
        http.register("users-value", Schemas.USER_WITH_OPTIONAL_EMAIL);

        assertError(http.delete("/subjects/users-value/versions/1?permanent=true"), 404, 40407,
                "Subject 'users-value' Version 1 was not deleted first before being permanently deleted");
        assertThat(http.delete("/subjects/users-value/versions/1").json().asInt()).isEqualTo(1);
        assertThat(http.get("/subjects/users-value/versions").json()).hasToString("[2]");
        assertError(http.get("/subjects/users-value/versions/1"), 404, 40402, "Version 1 not found.");
        assertError(http.delete("/subjects/users-value/versions/1"), 404, 40406,
                "Subject 'users-value' Version 1 was soft deleted.Set permanent=true to delete permanently");

        assertThat(http.delete("/subjects/users-value/versions/1?permanent=true").json().asInt()).isEqualTo(1);
        assertThat(http.get("/subjects/users-value/versions?deleted=true").json()).hasToString("[2]");
        assertThat(http.delete("/subjects/users-value/versions/latest").json().asInt()).isEqualTo(2);
        assertError(http.get("/subjects/users-value/versions/latest"), 404, 40401, "Subject 'users-value' not found.");
    }

    @Test
    void aSchemaIdStaysReadableWhileASoftDeletedVersionHoldsIt() {
        int id = http.register("users-value", Schemas.USER);
        http.delete("/subjects/users-value");

        assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
        assertThat(http.get("/schemas/ids/" + id + "/versions").json()).isEmpty();
        assertThat(http.get("/schemas/ids/" + id + "/versions?deleted=true").json()).hasToString("[{\"subject\":\"users-value\",\"version\":1}]");

        http.delete("/subjects/users-value?permanent=true");
        assertError(http.get("/schemas/ids/" + id), 404, 40403, "Schema " + id + " not found");
    }

    @Test
    void subjectsMayContainEncodedSlashesAndSpaces() {
        String subject = "team/a b-value";
        int id = http.register(subject, Schemas.USER);

        assertThat(http.get("/subjects").json()).hasToString("[\"team/a b-value\"]");
        assertThat(http.get("/subjects/" + RegistryHttp.subject(subject) + "/versions/1").json().get("id").asInt()).isEqualTo(id);
    }

    @Test
    void subjectsWithControlCharactersAreInvalid() {
        assertError(http.post("/subjects/bad%01name/versions", schemaBody(Schemas.USER)), 422, 42208,
                "The specified subject 'bad\u0001name' is not a valid.");
    }

    @Test
    void answersUseConfluentsContentTypeAndRequestsMayUsePlainJson() {
        Reply plainJson = http.post("/subjects/s/versions", schemaBody(Schemas.USER), "application/json");
        Reply octetStream = http.post("/subjects/t/versions", schemaBody(Schemas.USER), "application/octet-stream");

        assertThat(plainJson.status()).isEqualTo(200);
        assertThat(octetStream.status()).isEqualTo(200);
        assertThat(plainJson.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(http.get("/subjects").contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertError(http.post("/subjects/u/versions", schemaBody(Schemas.USER), "text/plain"), 415, 415, "HTTP 415 Unsupported Media Type");
    }

    @Test
    void malformedBodiesAreRefused() {
        Reply notJson = http.post("/subjects/s/versions", "{\"schema\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errorCode()).isEqualTo(400);

        assertError(http.post("/subjects/s/versions", "[1]"), 422, 422, "The request body must be a JSON object");
        assertError(http.post("/subjects/s/versions", "{\"schema\":5}"), 422, 422, "schema must be a string");
        assertError(http.post("/subjects/s/versions", ""), 422, 422, "Request body is required");
    }

    @Test
    void rootTypesAndUnknownRoutes() {
        assertThat(http.get("/").json()).hasToString("{}");
        assertThat(http.get("/schemas/types").json()).hasToString("[\"AVRO\"]");
        assertError(http.get("/nothing/here"), 404, 404, "HTTP 404 Not Found");
        assertError(http.get("/schemas/ids/abc"), 404, 404, "HTTP 404 Not Found");
        assertError(http.put("/subjects", "{}"), 405, 405, "HTTP 405 Method Not Allowed");
    }

    static void assertError(Reply reply, int status, int errorCode, String message) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(reply.errorCode()).isEqualTo(errorCode);
        assertThat(reply.message()).isEqualTo(message);
    }
}
