#!/usr/bin/python3
"""Reads a Sluice Avro topic the way an independent consumer would, and prints every message as JSON.

librdkafka (Debian python3-confluent-kafka) consumes read_committed; the schema of each key and value
is fetched by its id with Confluent's own SchemaRegistryClient and the datum is decoded with Apache
Avro's Python implementation (Debian python3-avro). No Java code is involved, so this checks Sluice's
wire format against independent implementations.

usage: avro_topic_reader.py --bootstrap HOST:PORT --registry URL --topic T --count N [--timeout S]
Prints one JSON object per message: partition, offset, key/value schema ids, decoded key/value, headers.
Exits 2 when fewer than N messages arrived before the timeout.
"""
import argparse
import base64
import datetime
import decimal
import io
import json
import struct
import sys
import time
import uuid

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaError
from confluent_kafka.schema_registry import SchemaRegistryClient


def plain(value):
    """A JSON-friendly rendering of a decoded Avro value."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": list(value)}
    if isinstance(value, decimal.Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime.datetime):
        return {"timestamp": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"time": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


class Decoder:
    def __init__(self, registry_url):
        self.registry = SchemaRegistryClient({"url": registry_url})
        self.readers = {}

    def decode(self, message):
        if message is None:
            return None, None
        magic, schema_id = struct.unpack(">bI", message[:5])
        if magic != 0:
            raise ValueError("not a Confluent-framed Avro message: magic byte %d" % magic)
        reader = self.readers.get(schema_id)
        if reader is None:
            schema = avro.schema.parse(self.registry.get_schema(schema_id).schema_str)
            reader = avro.io.DatumReader(schema)
            self.readers[schema_id] = reader
        stream = io.BytesIO(message[5:])
        datum = reader.read(avro.io.BinaryDecoder(stream))
        if stream.tell() != len(message) - 5:
            raise ValueError("%d trailing bytes after the datum" % (len(message) - 5 - stream.tell()))
        return schema_id, datum


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "avro-topic-reader-%d" % time.time_ns(),
        "isolation.level": "read_committed",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "allow.auto.create.topics": False,
    })
    decoder = Decoder(args.registry)
    consumer.subscribe([args.topic])
    seen = 0
    deadline = time.monotonic() + args.timeout
    try:
        while seen < args.count and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                # Partition EOF, or the topic not created yet (the sink creates it when it starts): keep waiting.
                if message.error().code() in (KafkaError._PARTITION_EOF, KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._UNKNOWN_TOPIC):
                    continue
                raise RuntimeError(str(message.error()))
            key_id, key = decoder.decode(message.key())
            value_id, value = decoder.decode(message.value())
            headers = {name: base64.b64encode(raw).decode("ascii") if raw is not None else None for name, raw in (message.headers() or [])}
            print(json.dumps({
                "partition": message.partition(),
                "offset": message.offset(),
                "key_schema_id": key_id,
                "key": plain(key),
                "value_schema_id": value_id,
                "value": plain(value),
                "headers": headers,
            }, sort_keys=True), flush=True)
            seen += 1
    finally:
        consumer.close()
    if seen < args.count:
        print("only %d of %d messages arrived within %.0f s" % (seen, args.count, args.timeout), file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
