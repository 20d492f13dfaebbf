module github.com/tongpei/tongpei

go 1.26
