#!/bin/sh
# What the machine must have before `pip install` can build geokg's dependencies:
# PyICU (through rigour -> normality) has no wheels and compiles against ICU, so it needs
# the ICU headers, pkg-config and a C++ compiler.  Where they are missing and apt-get can
# run (root, or sudo without a password), they are installed; elsewhere one line says
# what to install, and the setup stops before pip fails deep inside a build.
have_cxx() { command -v c++ >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1 || command -v clang++ >/dev/null 2>&1; }
have_icu() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists icu-uc; }

if have_icu && have_cxx; then exit 0; fi

if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"
  else SUDO="none"
  fi
  if [ "$SUDO" != none ]; then
    echo "make: installing the ICU headers, pkg-config and g++ (needed to build PyICU) with apt-get" >&2
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libicu-dev pkg-config g++ >/dev/null \
      && have_icu && have_cxx && exit 0
  fi
fi

echo "make: geokg needs the ICU headers, pkg-config and a C++ compiler to build PyICU; install them: Debian/Ubuntu 'sudo apt-get install libicu-dev pkg-config g++', Fedora 'sudo dnf install libicu-devel pkgconf-pkg-config gcc-c++', macOS 'brew install icu4c pkg-config' (then export PKG_CONFIG_PATH=\"\$(brew --prefix icu4c)/lib/pkgconfig\")" >&2
exit 1
