"""The ``video_status`` view as one SQL statement (no imports: the CLI reads it fast)."""

# One statement, used both by the ``video_status`` view of ``pixel-voice query`` and by
# :func:`video_status`; it reads the relations ``stage_status`` and ``video_sources``.
VIDEO_STATUS_SQL = """
WITH blocking AS (
    SELECT video_id,
           arg_min(asset, stage_order) AS stage,
           arg_min(state, stage_order) AS state,
           arg_min(error_type, stage_order) AS error_type,
           arg_min(reason, stage_order) AS reason
    FROM stage_status WHERE state <> 'passed' GROUP BY video_id
), reached AS (
    SELECT video_id,
           arg_max(asset, stage_order) AS last_passed_stage,
           max(updated_at) AS updated_at
    FROM stage_status WHERE state = 'passed' GROUP BY video_id
), known AS (
    SELECT video_id FROM stage_status UNION SELECT video_id FROM video_sources
)
SELECT k.video_id,
       coalesce(b.state, CASE WHEN r.video_id IS NULL THEN 'pending' ELSE 'passed' END)
           AS state,
       coalesce(b.stage, r.last_passed_stage) AS stage,
       b.error_type,
       b.reason,
       r.last_passed_stage,
       (b.video_id IS NULL AND r.video_id IS NOT NULL) AS passing,
       r.updated_at
FROM known k
LEFT JOIN blocking b USING (video_id)
LEFT JOIN reached r USING (video_id)
ORDER BY k.video_id
"""
