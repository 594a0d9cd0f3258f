# Gives every enum in the Thrift-generated header a fixed int32_t underlying
# type. The generated readers cast any i32 from the file into these enums;
# without a fixed type, values outside the enumerators are undefined behaviour
# (UBSan's -fsanitize=enum reports them on corrupt input). With it, every i32
# is a valid value and readers can check it with a switch.
#
# Usage: cmake -DHEADER=<parquet_types.h> -P fixed_enum_types.cmake
file(READ "${HEADER}" text)
string(REPLACE "  enum type {" "  enum type : int32_t {" text "${text}")
file(WRITE "${HEADER}" "${text}")
