// filled in by the SDTM work
