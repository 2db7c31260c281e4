"""Feeds: fetch, discover, parse and keep the recent posts of a kit's resources."""

from plnkit.feeds.report import FeedResult, FeedState, FetchReport
from plnkit.feeds.runner import FetchOptions, fetch_kit_feeds

__all__ = ["FeedResult", "FeedState", "FetchOptions", "FetchReport", "fetch_kit_feeds"]
