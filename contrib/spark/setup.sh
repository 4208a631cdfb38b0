#!/usr/bin/env bash
# Installs what `cargo xtask spark-test` needs to run real Apache Spark in local mode:
#   - a JDK from Debian's packages (OpenJDK 17, or 21 where the release has no 17), installed
#     with apt-get only when missing;
#   - target/spark-venv, a Python virtual environment with pyspark, pyarrow and pandas from
#     PyPI (not committed: target/ is ignored).
# It writes target/spark-venv/java-home, the JAVA_HOME the test pins (whatever `java` is first
# on PATH), and a stamp of what it installed: re-running it with both in place does nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=target/spark-venv
# Spark 4.0 runs on Java 17 and 21 and Python 3.9+; pandas is needed by mapInArrow's UDF
# machinery in pyspark, pyarrow by the Arrow transfer itself.
requirements="pyspark==4.0.1 pyarrow==19.0.1 pandas==2.2.3 numpy==2.2.6"
stamp="$venv/.requirements"

find_jdk() {
  local arch version home
  arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
  for version in 17 21; do
    home="/usr/lib/jvm/java-${version}-openjdk-${arch}"
    if [ -x "$home/bin/java" ]; then
      echo "$home"
      return 0
    fi
  done
  return 1
}

if ! java_home="$(find_jdk)"; then
  echo "spark setup: installing a JDK from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  if apt-cache show openjdk-17-jre-headless >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
  else
    apt-get install -y -qq --no-install-recommends openjdk-21-jre-headless >/dev/null
  fi
  java_home="$(find_jdk)" || { echo "spark setup: no JDK after apt-get install" >&2; exit 1; }
fi

if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$requirements" ]; then
  echo "spark setup: installing $requirements into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check $requirements
  echo "$requirements" > "$stamp"
fi
echo "$java_home" > "$venv/java-home"
echo "spark setup: ready (JAVA_HOME=$java_home, $venv: $requirements)" >&2
