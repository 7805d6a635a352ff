"""Per-video state of every stage (``stage_status``), open failures and ``video_status``."""
