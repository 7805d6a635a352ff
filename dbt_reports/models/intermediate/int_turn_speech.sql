-- Speech seconds in each dialogue turn, measured as the kept transcript segments the turn
-- contains (same video and speaker, inside the turn's span). A turn's span also covers the
-- pauses between its segments, so span length would overstate speech and make the funnel grow.
with turns as (
    select video_id, turn_index, speaker, start_s, end_s
    from {{ ref('stg_dialogue_turns') }}
),

kept as (
    select video_id, speaker, start_s, end_s, greatest(end_s - start_s, 0) as duration_s
    from {{ ref('stg_filtered_transcripts') }}
)

select
    turns.video_id,
    turns.turn_index,
    turns.speaker,
    coalesce(sum(kept.duration_s), 0) as speech_s
from turns
left join kept
    on kept.video_id = turns.video_id
    and kept.speaker is not distinct from turns.speaker
    and kept.start_s >= turns.start_s - 0.01
    and kept.end_s <= turns.end_s + 0.01
group by turns.video_id, turns.turn_index, turns.speaker
