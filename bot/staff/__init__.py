"""Staff operations: the review log of unanswered questions, statistics, 👍/👎 feedback and admin helpers.

Channels call ``StaffLog.record(event, replies)`` after each handled message or press; staff read the log with
`faqbot review` and `faqbot stats` (docs/staff.md). Nothing that identifies a person is stored.
"""

from bot.staff.masking import mask
from bot.staff.review_log import ReviewItem, SettingError, StaffLog, UsageRow, retention_days
from bot.staff.schema import MIGRATIONS

__all__ = ["MIGRATIONS", "ReviewItem", "SettingError", "StaffLog", "UsageRow", "mask", "retention_days"]
