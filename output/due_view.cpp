// filled in by the due work
