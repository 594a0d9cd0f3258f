// Where tests find the read-only shared data beside the source tree
// (../shared: Parquet fixtures, datasets, peer harnesses) and the installed
// peers. Tests skip, with a message, when what they need is absent.
#pragma once

#include <string>

namespace kiln::testing {

// KILN_SOURCE_DIR/../shared/<relative> when it exists, else "".
std::string SharedPath(const std::string& relative);

// Where ../shared/peers/install.sh puts the peers: $PEERS_HOME, else
// $HOME/.cache/kiln-peers.
std::string PeersHome();

}  // namespace kiln::testing
