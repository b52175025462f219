module github.com/sctpio/sctpio/bench/go

go 1.21

require github.com/sctpio/sctpio v0.0.0

require github.com/ishidawataru/sctp v0.0.0-20251114114122-19ddcbc6aae2

replace github.com/sctpio/sctpio => ../..
