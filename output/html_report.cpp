// filled in by the HTML report work
