"""Sources: each turns one kind of input into `PaperRecord`s (and reports bad records)."""
