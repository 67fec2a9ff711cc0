"""kit report: what the campaign reached, read back from the web server's access logs (no address kept).

Three stages, a module each: ``parse`` (log lines in, events and tallies out; ``sources`` reads the logs' new
bytes, in worker processes), ``aggregate`` (events counted per day with the 30-minute rule; the period's counts
joined with placements and the site's pages), ``render`` (pages, SVG charts, CSVs). ``store`` keeps counts per
day and what was read of each log in an SQLite file of the output folder. This package imports neither pack,
channels, render, plan, context nor WeasyPrint: it runs on a log server.

    from kit.report import ReportOptions, build_report
    result = build_report(ReportOptions(logs=["access.log"], out=Path("report"), placements=[Path("placements.csv")]))
"""

from .run import DEFAULT_THRESHOLD, STATE_NAME, NothingRead, ReportOptions, ReportResult, build_report

__all__ = ["DEFAULT_THRESHOLD", "STATE_NAME", "NothingRead", "ReportOptions", "ReportResult", "build_report"]
