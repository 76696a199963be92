"""Today's date where the members are."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vietnam_today() -> date:
    return datetime.now(VIETNAM).date()
