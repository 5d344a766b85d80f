// Inspector: decoding and explaining .mpy files (mpyforge inspect, check).
