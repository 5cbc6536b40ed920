"""The reporter side's views, by topic: the landing pages, writing a report, following it up."""
