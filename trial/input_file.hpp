#pragma once
// Files people name as input (CSV imports, protocol, key and head files),
// read with limits: only a regular file, since a FIFO, /dev/zero or a
// terminal would be read forever and a folder or device is a mistake; and at
// most a stated size, so a wrong file ends with a message, not with the
// machine's memory.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace trialcal::trial {

// The most bytes read from one input file, and how messages name it.
struct FileLimit {
    std::uint64_t bytes;
    std::string_view size;  // "256 MiB"
    std::string_view of;    // "a CSV file"
};

// CSV imports. The million-dose log bench/ imports is about 30 MB, so 256 MiB
// is eight times a whole trial network's doses; an import holds the text and
// a copy of its cells, so the limit also keeps it under a gigabyte of memory.
inline constexpr FileLimit csv_file_limit{256ULL << 20, "256 MiB", "a CSV file"};

// Protocol files, key files and audit heads. The largest seed protocol is
// 7 KB; one at max_events_per_patient written a visit per table is under
// 2 MB. A key or head is a few hundred bytes.
inline constexpr FileLimit text_file_limit{16ULL << 20, "16 MiB", "a protocol, key or head file"};

struct InputText {
    std::string text;
    // Empty when the file was read; else what the path is instead of a
    // regular file ("a FIFO (named pipe)", "a directory"), and `text` is empty.
    std::string not_regular;
};

// Opens `p` without waiting (a FIFO without a writer would block the open),
// checks what was opened (fstat on the descriptor, not stat before open: the
// path could change in between) and reads at most limit.bytes + 1 bytes.
// Missing or unreadable: Kind::not_found. Larger than the limit: Kind::bad_data
// naming the limit and the file's size.
[[nodiscard]] InputText read_input(const std::filesystem::path& p, FileLimit limit);

// The same, with a path that is not a regular file Kind::bad_data.
[[nodiscard]] std::string read_regular_file(const std::filesystem::path& p, FileLimit limit);

// A protocol, key or head file: read_regular_file with text_file_limit.
[[nodiscard]] std::string read_file(const std::filesystem::path& p);

}  // namespace trialcal::trial
