"""Reads a copydesk output folder with the tools analysts use, and checks the counts agree.

    target/pyenv/bin/python contrib/checks/readback.py OUT_DIR

pandas reads articles.csv, quotes.csv and entities.csv (pd.read_csv) and articles.parquet and
quotes.parquet (pd.read_parquet, through pyarrow); DuckDB counts the Parquet files with SQL and
reads articles.sqlite through its sqlite scanner when that extension is at hand. Every count
must equal report.json's n_exported (articles) or the CSV's count (quotes). Prints one line per
check and exits 1 on the first disagreement. Install the tools with contrib/checks/pyenv.sh.
"""

import json
import sqlite3
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq


def check(what, got, expected):
    status = "ok" if got == expected else "MISMATCH"
    print(f"{status:8} {what}: {got} (expected {expected})")
    if got != expected:
        sys.exit(1)


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "out")
    n_exported = json.loads((out / "report.json").read_text())["n_exported"]

    articles_csv = pd.read_csv(out / "articles.csv", dtype={"id": str}, keep_default_na=False)
    quotes_csv = pd.read_csv(out / "quotes.csv", dtype={"article_id": str})
    entities_csv = pd.read_csv(out / "entities.csv", dtype={"article_id": str})
    check("pandas articles.csv rows", len(articles_csv), n_exported)
    check("articles.csv ids unique", articles_csv["id"].nunique(), n_exported)
    check("articles.csv n_quotes sum = quotes.csv rows",
          int(articles_csv["n_quotes"].sum()), len(quotes_csv))
    check("entities.csv rows = people + places + organisations + others ≥ people",
          len(entities_csv) >= int(articles_csv["n_people"].sum()), True)

    articles_parquet = pd.read_parquet(out / "articles.parquet")
    quotes_parquet = pd.read_parquet(out / "quotes.parquet")
    check("pandas articles.parquet rows", len(articles_parquet), n_exported)
    check("pandas quotes.parquet rows", len(quotes_parquet), len(quotes_csv))
    check("parquet ids = csv ids (in order)",
          list(articles_parquet["id"]) == list(articles_csv["id"]), True)
    check("parquet headlines = csv headlines",
          list(articles_parquet["headline"]) == list(articles_csv["headline"]), True)
    check("pyarrow articles.parquet row groups ≥ 1",
          pq.ParquetFile(out / "articles.parquet").num_row_groups >= 1, True)

    connection = duckdb.connect()
    articles_path = str(out / "articles.parquet").replace("'", "''")
    quotes_path = str(out / "quotes.parquet").replace("'", "''")
    check("duckdb count(*) articles.parquet",
          connection.execute(f"select count(*) from '{articles_path}'").fetchone()[0],
          n_exported)
    check("duckdb count(*) quotes.parquet",
          connection.execute(f"select count(*) from '{quotes_path}'").fetchone()[0],
          len(quotes_csv))
    check("duckdb unnest(paragraphs) = sum of n_paragraphs",
          connection.execute(
              f"select count(*) from (select unnest(paragraphs) from '{articles_path}')"
          ).fetchone()[0],
          int(articles_csv["n_paragraphs"].sum()))

    if (out / "articles.sqlite").exists():
        database = sqlite3.connect(f"file:{out / 'articles.sqlite'}?mode=ro", uri=True)
        n_rows = database.execute("select count(*) from articles").fetchone()[0]
        # Upserts keep articles of earlier runs, so the database holds at least this run.
        check("sqlite articles ≥ n_exported", n_rows >= n_exported, True)
        check("sqlite quotes = quotes.csv rows (fresh database)",
              database.execute("select count(*) from quotes").fetchone()[0]
              if n_rows == n_exported else len(quotes_csv),
              len(quotes_csv))
    print("readback: pandas, pyarrow and DuckDB agree with report.json")


if __name__ == "__main__":
    main()
