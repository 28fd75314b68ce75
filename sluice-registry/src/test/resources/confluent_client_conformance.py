"""Drives a schema registry with Confluent's own Python client (python3-confluent-kafka).

Usage: python3 confluent_client_conformance.py http://127.0.0.1:PORT

Exits 0 and prints one line per check when every check holds; otherwise prints what differed
and exits 1. The registry must be empty when the script starts.
"""
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

URL = sys.argv[1]
checks = 0


def client():
    # A fresh client has an empty cache, so every call below goes over HTTP.
    return SchemaRegistryClient({"url": URL})


def check(name, actual, expected):
    global checks
    if actual != expected:
        raise AssertionError("%s: expected %r, got %r" % (name, expected, actual))
    checks += 1
    print("ok %d - %s" % (checks, name))


def expect_error(name, call, status, code):
    global checks
    try:
        result = call()
    except SchemaRegistryError as e:
        if (e.http_status_code, e.error_code) != (status, code):
            raise AssertionError("%s: expected HTTP %d / %d, got %d / %d (%s)"
                                 % (name, status, code, e.http_status_code, e.error_code, e.error_message))
        checks += 1
        print("ok %d - %s (%d: %s)" % (checks, name, code, e.error_message))
        return e
    raise AssertionError("%s: expected error %d, got %r" % (name, code, result))


def avro(fields, name="User"):
    return Schema(json.dumps({"type": "record", "name": name, "namespace": "dev.sluice.test", "fields": fields}), "AVRO")


USER_V1 = avro([{"name": "id", "type": "long"}])
USER_V2 = avro([{"name": "id", "type": "long"}, {"name": "email", "type": ["null", "string"], "default": None}])
USER_BREAKING = avro([{"name": "id", "type": "long"}, {"name": "name", "type": "string"}])
ORDER = avro([{"name": "number", "type": "int"}], name="Order")

# Registration: global ids from 1, idempotent, shared across subjects.
v1_id = client().register_schema("users-value", USER_V1)
check("first id is 1", v1_id, 1)
check("same schema, same subject, same id", client().register_schema("users-value", USER_V1), v1_id)
check("same schema, other subject, same id", client().register_schema("users-key", USER_V1), v1_id)
v2_id = client().register_schema("users-value", USER_V2)
check("compatible evolution gets a new id", v2_id, 2)
order_id = client().register_schema("orders-value", ORDER)
check("another schema gets the next id", order_id, 3)

# Reading back.
fetched = client().get_schema(v1_id)
check("get by id: schema type", fetched.schema_type, "AVRO")
check("get by id: schema", json.loads(fetched.schema_str), json.loads(USER_V1.schema_str))
check("subjects", sorted(client().get_subjects()), ["orders-value", "users-key", "users-value"])
check("versions", client().get_versions("users-value"), [1, 2])
latest = client().get_latest_version("users-value")
check("latest version: number", latest.version, 2)
check("latest version: id", latest.schema_id, v2_id)
check("latest version: subject", latest.subject, "users-value")
check("latest version: schema", json.loads(latest.schema.schema_str), json.loads(USER_V2.schema_str))
first = client().get_version("users-value", 1)
check("version 1: id", first.schema_id, v1_id)
found = client().lookup_schema("users-value", USER_V2)
check("lookup: version", found.version, 2)
check("lookup: id", found.schema_id, v2_id)
expect_error("lookup of a schema not under the subject", lambda: client().lookup_schema("users-value", ORDER), 404, 40403)
expect_error("lookup under an unknown subject", lambda: client().lookup_schema("nobody", USER_V1), 404, 40401)
expect_error("unknown schema id", lambda: client().get_schema(99), 404, 40403)
expect_error("unknown version", lambda: client().get_version("users-value", 9), 404, 40402)
expect_error("unknown subject", lambda: client().get_versions("nobody"), 404, 40401)

# Compatibility.
check("compatible with latest", client().test_compatibility("users-value", USER_V2), True)
check("incompatible with latest", client().test_compatibility("users-value", USER_BREAKING), False)
check("checked against version 1", client().test_compatibility("users-value", USER_V1, version=1), True)
refused = expect_error("incompatible registration", lambda: client().register_schema("users-value", USER_BREAKING), 409, 409)
check("refusal names the subject",
      refused.error_message.startswith('Schema being registered is incompatible with an earlier schema for subject "users-value"'),
      True)
expect_error("invalid schema", lambda: client().register_schema("bad", Schema('{"type": "recrod"}', "AVRO")), 422, 42201)
expect_error("unsupported schema type", lambda: client().register_schema("bad", Schema("{}", "PROTOBUF")), 422, 42201)

# Configuration.
check("global level by default", client().get_compatibility(), "BACKWARD")
check("set global level", client().set_compatibility(level="full"), {"compatibility": "FULL"})
check("get global level", client().get_compatibility(), "FULL")
check("set subject level", client().set_compatibility("users-value", "NONE"), {"compatibility": "NONE"})
check("get subject level", client().get_compatibility("users-value"), "NONE")
check("breaking change accepted at NONE", client().register_schema("users-value", USER_BREAKING), 4)
expect_error("subject without a level", lambda: client().get_compatibility("orders-value"), 404, 40408)
expect_error("invalid level", lambda: client().set_compatibility(level="SIDEWAYS"), 422, 42203)

# Deletion.
check("delete a version", client().delete_version("users-value", 1), 1)
check("versions after deleting one", client().get_versions("users-value"), [2, 3])
expect_error("deleted version is gone", lambda: client().get_version("users-value", 1), 404, 40402)
check("soft-delete a subject", client().delete_subject("orders-value"), [1])
check("subjects after soft delete", sorted(client().get_subjects()), ["users-key", "users-value"])
check("id of a soft-deleted version is still served", json.loads(client().get_schema(order_id).schema_str)["name"], "Order")
expect_error("soft-delete twice", lambda: client().delete_subject("orders-value"), 404, 40404)
check("permanent delete after soft", client().delete_subject("users-key", permanent=True), [1])
check("subjects after permanent delete", sorted(client().get_subjects()), ["users-value"])
expect_error("delete an unknown subject", lambda: client().delete_subject("nobody"), 404, 40401)

print("all %d checks hold" % checks)
