// The Catch2 a kiln test sees, v2 or v3: test files include this and nothing of Catch2's.
//
// The build defines KILN_CATCH2_V3 when it links Catch2 v3; otherwise it is v2 (Debian
// ships 2.13). TEST_CASE, SECTION, REQUIRE, CHECK, STATIC_REQUIRE and Approx read the
// same in both; v3 spellings only (e.g. Catch::Matchers::WithinULP) need a guard.
#pragma once

#if defined(KILN_CATCH2_V3)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif
