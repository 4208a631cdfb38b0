"""Run copydesk on Apache Spark: every partition is piped through `copydesk stream`.

    spark-submit \\
        --files target/release/copydesk \\
        --archives copydesk-plugins.tar.gz#copydesk-plugins \\
        contrib/spark/copydesk_spark.py \\
        --input 's3a://bucket/news/*.jsonl' --output s3a://bucket/copydesk-out

The binary (a single Linux executable) travels with --files and the plugin folder as an
archive with --archives; both are found on every executor with SparkFiles.get. Before any
task starts, the driver runs `copydesk plugins --check --json --stream` and stops with the
plugin check's verdict if a plugin is broken or missing. Each partition is then fed to one
`copydesk stream` process through mapInArrow (so it works under Spark Connect too): the
process's exit status is checked, its output is checked to hold one line per input line, and
a failure raises with the process's stderr, so Spark retries the task and then fails the job.

Output, under --output:
    articles.jsonl/   article records, exactly the bytes `copydesk stream` wrote (text files)
    articles.parquet/ the same records with the fixed schema of `copydesk schema --format spark-ddl`
    rejects.jsonl/    error records ({"status": "error", "error": {"kind", "message"}, "id", ...})
and on the driver's stdout one line `copydesk-spark: {...}` with the counts, records in =
articles + errors, checked before the driver exits 0. See docs/spark.md.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import threading
from collections import deque

from pyspark import SparkFiles, StorageLevel
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

# Error records are the only records whose first key is "status" (articles start with
# "schema_version"): copydesk writes keys in a fixed order.
ERROR_PREFIX = b'{"status":'
ERROR_DDL = (
    "`status` STRING, `error` STRUCT<`kind`: STRING, `message`: STRING>, `id` STRING, "
    "`source` STRUCT<`path`: STRING, `line`: BIGINT>"
)
OUTPUT_SCHEMA = "ok BOOLEAN, json STRING"
LINES_PER_BATCH = 1000
STDERR_KEEP_BYTES = 64 * 1024


class CopydeskFailed(RuntimeError):
    """`copydesk` exited non-zero or broke the one-line-out-per-line-in contract."""


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True, action="append",
                        help="Spark-readable path or glob; repeat for several")
    parser.add_argument("--output", required=True, help="output folder (any Spark-writable location)")
    parser.add_argument("--format", choices=["jsonl", "text"], default="jsonl",
                        help="jsonl: one JSON article per line (default); text: one plain-text "
                             "article per file (headline line, blank line, paragraphs)")
    parser.add_argument("--binary", default="copydesk",
                        help="name of the copydesk executable shipped with --files (default: copydesk)")
    parser.add_argument("--plugins", default="copydesk-plugins",
                        help="name (archive alias) of the plugin folder shipped with --archives "
                             "(default: copydesk-plugins); '' to use the binary's own folder")
    parser.add_argument("--config", default=None,
                        help="name of a pipeline file shipped with --files (copydesk.toml)")
    parser.add_argument("--reference-date", default=None,
                        help="YYYY-MM-DD for dates without a year; default: today on the driver, "
                             "so every task and retry uses the same day")
    parser.add_argument("--threads", type=int, default=1,
                        help="copydesk worker threads per task (default 1: Spark runs a task per core)")
    parser.add_argument("--partitions", type=int, default=0,
                        help="repartition the input into this many partitions first (0: keep Spark's)")
    parser.add_argument("--mode", default="errorifexists",
                        help="Spark save mode for the outputs (default: errorifexists)")
    parser.add_argument("--no-plugin-check", action="store_true",
                        help="skip the driver's plugin check (tasks still fail on a broken plugin)")
    parser.add_argument("--verify-schema", type=int, default=0, metavar="N",
                        help="check that every key of N article records has a column in the schema")
    return parser.parse_args(argv)


def shipped(name):
    """Path of a file or unpacked archive shipped with --files / --archives, on this node."""
    path = SparkFiles.get(name)
    if not os.path.exists(path) and os.path.exists(name):
        # YARN unpacks archives and links files into the container's working directory.
        path = os.path.abspath(name)
    return path


def executable(name):
    path = shipped(name)
    if not os.access(path, os.X_OK):
        try:
            os.chmod(path, 0o755)
        except OSError:
            pass
    return path


def common_flags(options):
    flags = []
    if options["plugins"]:
        flags += ["--plugins", shipped(options["plugins"])]
    if options["config"]:
        flags += ["--config", shipped(options["config"])]
    return flags


def check_plugins(options):
    """Runs the plugin check on the driver; raises naming what is broken or missing."""
    command = [executable(options["binary"]), "plugins", "--check", "--json", "--stream"]
    command += common_flags(options)
    done = subprocess.run(command, capture_output=True)
    if done.returncode != 0:
        raise CopydeskFailed(
            "copydesk plugin check failed (exit status %d):\n%s\n%s"
            % (done.returncode, done.stdout.decode("utf-8", "replace"),
               done.stderr.decode("utf-8", "replace")))
    return json.loads(done.stdout)


def spark_ddl(options):
    command = [executable(options["binary"]), "schema", "--format", "spark-ddl"]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode != 0:
        raise CopydeskFailed("copydesk schema failed: %s" % done.stderr.decode("utf-8", "replace"))
    return done.stdout.decode("utf-8").strip()


def text_article_to_record(text):
    """A plain-text article (headline line, blank line, paragraphs) as a JSON Lines record."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    headline = lines[0].strip() if lines else ""
    return json.dumps({"title": headline, "text": "\n".join(lines[1:]).strip()},
                      ensure_ascii=False, separators=(",", ":"))


def make_partition_runner(options):
    """The mapInArrow function: one `copydesk stream` process per partition."""

    def run_partition(batches):
        import pyarrow as pa

        command = [executable(options["binary"]), "stream", "--quiet", "--no-source-line",
                   "--threads", str(options["threads"]),
                   "--reference-date", options["reference_date"]]
        command += common_flags(options)
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, bufsize=1 << 16)
        stderr_tail = deque()
        stderr_size = [0]

        def keep_stderr():
            for line in child.stderr:
                stderr_tail.append(line)
                stderr_size[0] += len(line)
                while stderr_size[0] > STDERR_KEEP_BYTES and len(stderr_tail) > 1:
                    stderr_size[0] -= len(stderr_tail.popleft())

        n_in = [0]
        feed_error = []

        def feed():
            # In its own thread, as RDD.pipe does: the child's output is read meanwhile, so
            # neither side can block the other on a full pipe.
            try:
                for batch in batches:
                    column = batch.column(0).to_pylist()
                    for value in column:
                        if options["format"] == "text":
                            value = text_article_to_record(value or "")
                        data = (value or "").encode("utf-8")
                        child.stdin.write(data + b"\n")
                    n_in[0] += len(column)
            except BrokenPipeError as error:
                feed_error.append(error)
            except BaseException as error:  # noqa: BLE001 - reported after the child ends
                feed_error.append(error)
            finally:
                try:
                    child.stdin.close()
                except OSError:
                    pass

        stderr_thread = threading.Thread(target=keep_stderr, daemon=True)
        feed_thread = threading.Thread(target=feed, daemon=True)
        stderr_thread.start()
        feed_thread.start()

        n_out = 0
        oks, jsons = [], []
        for line in child.stdout:
            record = line.rstrip(b"\n")
            oks.append(not record.startswith(ERROR_PREFIX))
            jsons.append(record.decode("utf-8"))
            n_out += 1
            if len(jsons) >= LINES_PER_BATCH:
                yield pa.RecordBatch.from_arrays(
                    [pa.array(oks, pa.bool_()), pa.array(jsons, pa.string())], ["ok", "json"])
                oks, jsons = [], []
        status = child.wait()
        feed_thread.join()
        stderr_thread.join()
        stderr_text = b"".join(stderr_tail).decode("utf-8", "replace")
        if status != 0:
            raise CopydeskFailed("copydesk stream exited with status %d: %s"
                                 % (status, stderr_text.strip()))
        if feed_error:
            raise CopydeskFailed("feeding copydesk stream failed: %r; its stderr: %s"
                                 % (feed_error[0], stderr_text.strip()))
        if n_out != n_in[0]:
            raise CopydeskFailed("copydesk stream wrote %d lines for %d input lines: %s"
                                 % (n_out, n_in[0], stderr_text.strip()))
        if jsons:
            yield pa.RecordBatch.from_arrays(
                [pa.array(oks, pa.bool_()), pa.array(jsons, pa.string())], ["ok", "json"])

    return run_partition


def check_schema_covers(records, schema):
    """Every key of every record has a field of a fitting type in the Spark schema."""
    from pyspark.sql.types import (ArrayType, BooleanType, DoubleType, LongType, MapType,
                                   StringType, StructType)

    def walk(value, data_type, where):
        if value is None:
            return
        if isinstance(data_type, StringType):
            return  # Spark reads any JSON value into a string column, as its JSON text
        if isinstance(data_type, StructType):
            if not isinstance(value, dict):
                raise ValueError("%s: expected an object, found %r" % (where, value))
            fields = {field.name: field.dataType for field in data_type.fields}
            for key, item in value.items():
                if key not in fields:
                    raise ValueError("%s.%s: no such column in the schema" % (where, key))
                walk(item, fields[key], "%s.%s" % (where, key))
        elif isinstance(data_type, MapType):
            for key, item in value.items():
                walk(item, data_type.valueType, "%s[%s]" % (where, key))
        elif isinstance(data_type, ArrayType):
            for idx, item in enumerate(value):
                walk(item, data_type.elementType, "%s[%d]" % (where, idx))
        elif isinstance(data_type, LongType):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError("%s: expected an integer, found %r" % (where, value))
        elif isinstance(data_type, DoubleType):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError("%s: expected a number, found %r" % (where, value))
        elif isinstance(data_type, BooleanType):
            if not isinstance(value, bool):
                raise ValueError("%s: expected a boolean, found %r" % (where, value))
        else:
            raise ValueError("%s: unexpected type %s" % (where, data_type))

    for record in records:
        walk(json.loads(record), schema, "record")


def log_error(spark, message):
    """Logs through the JVM's log4j, whose console appender is spark-submit's stderr: Spark's
    PythonRunner sends the Python driver's own stderr to stdout."""
    try:
        logger = spark.sparkContext._jvm.org.apache.logging.log4j.LogManager.getLogger("copydesk")
        logger.error(message)
    except Exception:  # noqa: BLE001 - no JVM (Spark Connect): the traceback still says it
        pass


def main(argv):
    args = parse_args(argv)
    spark = SparkSession.builder.appName("copydesk").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    options = {
        "binary": args.binary,
        "plugins": args.plugins,
        "config": args.config,
        "threads": args.threads,
        "format": args.format,
        "reference_date": args.reference_date or datetime.date.today().isoformat(),
    }
    if not args.no_plugin_check:
        try:
            listing = check_plugins(options)
        except CopydeskFailed as error:
            log_error(spark, str(error))
            raise
        names = ", ".join("%s %s" % (p["kind"], p["name"]) for p in listing["plugins"])
        print("copydesk-spark: plugins ok: %s" % names, file=sys.stderr)
    ddl = spark_ddl(options)

    if args.format == "text":
        lines = spark.read.text(args.input, wholetext=True)
    else:
        lines = spark.read.text(args.input)
    if args.partitions > 0:
        lines = lines.repartition(args.partitions)
    # Each partition runs copydesk once; keep the result so the three outputs and the counts
    # below do not run it again.
    records = lines.mapInArrow(make_partition_runner(options), OUTPUT_SCHEMA)
    records = records.persist(StorageLevel.MEMORY_AND_DISK)

    articles = records.where(F.col("ok")).select("json")
    rejects = records.where(~F.col("ok")).select("json")
    articles.write.mode(args.mode).text(os.path.join(args.output, "articles.jsonl"))
    rejects.write.mode(args.mode).text(os.path.join(args.output, "rejects.jsonl"))
    # FAILFAST: a record that does not fit the schema fails the job instead of becoming nulls.
    parsed = articles.select(F.from_json("json", ddl, {"mode": "FAILFAST"}).alias("article"))
    parsed.select("article.*").write.mode(args.mode).parquet(
        os.path.join(args.output, "articles.parquet"))

    n_in = lines.count()
    n_articles = articles.count()
    n_errors = rejects.count()
    n_parquet = spark.read.parquet(os.path.join(args.output, "articles.parquet")).count()
    errors_by_kind = {
        row["kind"]: row["count"]
        for row in rejects.select(F.from_json("json", ERROR_DDL).alias("r"))
        .groupBy(F.col("r.error.kind").alias("kind")).count().collect()
    }
    if args.verify_schema > 0:
        sample = [row["json"] for row in articles.limit(args.verify_schema).collect()]
        check_schema_covers(sample, parsed.schema["article"].dataType)
    counts = {
        "records_in": n_in,
        "records_out": n_articles + n_errors,
        "articles": n_articles,
        "errors": n_errors,
        "errors_by_kind": errors_by_kind,
        "parquet_rows": n_parquet,
        "partitions": records.rdd.getNumPartitions(),
    }
    print("copydesk-spark: " + json.dumps(counts, sort_keys=True))
    records.unpersist()
    spark.stop()
    if n_in != n_articles + n_errors or n_parquet != n_articles:
        print("copydesk-spark: error: counts do not balance: %s" % counts, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
