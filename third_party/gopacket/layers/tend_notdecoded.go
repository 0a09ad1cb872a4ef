package layers

import (
	"fmt"

	"github.com/google/gopacket"
)

// notDecoded takes the place of the decoders of the layers tend never
// decodes (see TEND.md): registering a decoder keeps its code in every
// binary, whether or not a packet ever reaches it. Decoding such a layer
// through gopacket.NewPacket gives this error (a DecodeFailure layer)
// instead of the layer; tend decodes with a DecodingLayerParser of its own
// layers and never asks for these.
type notDecoded string

func (n notDecoded) Decode([]byte, gopacket.PacketBuilder) error {
	return fmt.Errorf("%s: not decoded by tend's copy of gopacket/layers", string(n))
}
