"""The console logger of every Pixel Voice job: what `make dev` and `dagster job execute` print.

Dagster's default console logger prints every event at DEBUG and a full stack trace with each
failed or retried step, so one video whose source is down filled the terminal with ~900 lines.
This logger prints what a user acts on:

* one ERROR line per failed try, written by the step itself (``pixel_assets.wiring``): which
  video, what failed and the fix. The step's ``STEP_FAILURE`` / ``STEP_UP_FOR_RETRY`` event for
  that same error drops to INFO, without its stack trace;
* any other error event (a step outside the per-video wiring, a run failure) as one ERROR line:
  the event and the error's own message, without the stack trace;
* "Dependencies for step … Not executing." lines for the steps after a failed one at DEBUG:
  the failure above already says why, and the UI shows the skipped steps.

Everything stays in the event log (the UI shows full errors). At DEBUG (``PIXEL_LOG_LEVEL=DEBUG``
or run config ``loggers: {console: {config: {log_level: DEBUG}}}``) nothing is shortened: the
stack traces and the step's own traceback line come back.
"""

from __future__ import annotations

import logging

import dagster as dg

# The same colored format as Dagster's own console logger (a private helper; pinned version).
from dagster._utils.log import create_console_logger

from pixel_assets.settings import log_level

# Where Dagster's log manager puts the event on each record it hands to a logger (public in
# effect: the JSON console logger in dagster._loggers reads the same attribute).
_RECORD_METADATA = "dagster_meta"
# Failures raised by pixel_assets.wiring after it logged the reason and fix at ERROR.
_ALREADY_LOGGED = "Failure"
_SKIPPED_STEP = "Dependencies for step "


class ConciseFailures(logging.Filter):
    """Shortens and re-levels records as the module docstring says (not at DEBUG)."""

    def __init__(self, threshold: int):
        super().__init__()
        self.threshold = threshold

    def filter(self, record: logging.LogRecord) -> bool:
        if self.threshold <= logging.DEBUG:
            return True
        meta = getattr(record, _RECORD_METADATA, None) or {}
        event = meta.get("dagster_event")
        error = getattr(getattr(event, "event_specific_data", None), "error", None)
        message = str(record.msg)
        if error is not None:
            head = message.split("\n\n", 1)[0]
            if error.cls_name == _ALREADY_LOGGED:
                _relevel(record, logging.INFO)
                record.msg = head
            else:
                reason = (error.message or error.cls_name or "").strip().splitlines()
                record.msg = f"{head} {reason[0]}" if reason else head
            record.args = ()  # the message is final text now
        elif str(meta.get("orig_message", "")).startswith(_SKIPPED_STEP):
            _relevel(record, logging.DEBUG)
        return record.levelno >= self.threshold


def _relevel(record: logging.LogRecord, level: int) -> None:
    record.levelno = level
    record.levelname = logging.getLevelName(level)


@dg.logger(
    dg.Field(
        {
            "log_level": dg.Field(
                str, is_required=False,
                description="DEBUG, INFO, WARNING or ERROR; default PIXEL_LOG_LEVEL, else INFO.",
            ),
            "name": dg.Field(str, is_required=False, default_value="dagster"),
        }
    ),
    description="Console logger: one concise line per failed try; stack traces at DEBUG.",
)
def concise_console_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    config = init_context.logger_config
    level = logging.getLevelName(str(config.get("log_level") or log_level()).upper())
    logger = create_console_logger(config["name"], level)
    for handler in logger.handlers:
        handler.addFilter(ConciseFailures(level))
    return logger
