# divsim_embed_text(<output.cpp> <symbol> <input file>): the file's text as a C++ string in divsim::detail.
function(divsim_embed_text output symbol input)
  file(READ "${input}" text)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${input}")
  file(CONFIGURE OUTPUT "${output}"
       CONTENT "// generated from ${symbol}: do not edit\n#include <string_view>\nnamespace divsim::detail {\nextern const std::string_view ${symbol};\nconst std::string_view ${symbol} = R\"divsim_embedded(@text@)divsim_embedded\";\n}\n"
       @ONLY)
endfunction()
