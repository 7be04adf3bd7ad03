"""`publisher check`: the built editions and archive files read back and validated."""
