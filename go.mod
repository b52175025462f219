module github.com/sctpio/sctpio

go 1.21
